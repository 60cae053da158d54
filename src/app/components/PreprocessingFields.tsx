/**
 * The declared preprocessing of an image folder (resize, layout, channels, scale, mean/std), shared by
 * every place that takes images as data (calibration, accuracy); and which picked files are images.
 */
import { useId } from 'react';
import type { ImagePreprocessing } from '../../core/data/types';

const IMAGE_EXT = /\.(png|jpe?g|webp|bmp|gif)$/i;

/** The image files among those a folder input picked (a folder also holds .DS_Store, READMEs …). */
export function imageFiles(files: FileList | null): File[] {
  return Array.from(files ?? []).filter((f) => IMAGE_EXT.test(f.name));
}

function numbers(text: string): number[] {
  return text
    .split(/[,\s]+/)
    .filter((s) => s !== '')
    .map(Number);
}

export function PreprocessingFields({ value, disabled = false, onChange }: { value: ImagePreprocessing; disabled?: boolean; onChange(next: ImagePreprocessing): void }) {
  const id = useId();
  const update = (p: Partial<ImagePreprocessing>): void => onChange({ ...value, ...p });
  return (
    <fieldset className="preprocessing" disabled={disabled}>
      <legend>Image preprocessing</legend>
      <label htmlFor={`${id}-w`}>Width</label>
      <input id={`${id}-w`} type="number" min={1} max={4096} value={value.width} onChange={(e) => update({ width: Math.max(1, Number(e.currentTarget.value) || 1) })} />
      <label htmlFor={`${id}-h`}>Height</label>
      <input id={`${id}-h`} type="number" min={1} max={4096} value={value.height} onChange={(e) => update({ height: Math.max(1, Number(e.currentTarget.value) || 1) })} />
      <label htmlFor={`${id}-layout`}>Layout</label>
      <select id={`${id}-layout`} value={value.layout} onChange={(e) => update({ layout: e.currentTarget.value === 'NHWC' ? 'NHWC' : 'NCHW' })}>
        <option value="NCHW">NCHW</option>
        <option value="NHWC">NHWC</option>
      </select>
      <label htmlFor={`${id}-c`}>Channels</label>
      <select id={`${id}-c`} value={value.channels} onChange={(e) => update({ channels: e.currentTarget.value === '1' ? 1 : 3 })}>
        <option value={3}>3 (RGB)</option>
        <option value={1}>1 (grey)</option>
      </select>
      <label htmlFor={`${id}-scale`}>Scale</label>
      <input id={`${id}-scale`} type="number" step="any" value={value.scale} onChange={(e) => update({ scale: Number(e.currentTarget.value) })} />
      <label htmlFor={`${id}-mean`}>Mean</label>
      <input id={`${id}-mean`} type="text" defaultValue={value.mean.join(', ')} onBlur={(e) => update({ mean: numbers(e.currentTarget.value) })} />
      <label htmlFor={`${id}-std`}>Std</label>
      <input id={`${id}-std`} type="text" defaultValue={value.std.join(', ')} onBlur={(e) => update({ std: numbers(e.currentTarget.value) })} />
      <p className="muted small">Each pixel (0–255) is multiplied by the scale, then (x − mean) / std per channel.</p>
    </fieldset>
  );
}
