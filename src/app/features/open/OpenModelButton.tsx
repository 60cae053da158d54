import { useId } from 'react';
import { openFiles } from '../../actions';

/** A file input labelled "Open model" (an accessible-name contract). Several files at once for external data. */
export function OpenModelButton() {
  const id = useId();
  return (
    <span className="open-model">
      <label htmlFor={id} className="button primary">
        Open model
      </label>
      <input
        id={id}
        type="file"
        multiple
        className="visually-hidden"
        accept=".onnx,.data,.bin,.onnx_data,.pb,.pt,.pth,.tflite,.h5,.keras,.safetensors,*/*"
        onChange={(e) => {
          openFiles(Array.from(e.currentTarget.files ?? []));
          e.currentTarget.value = '';
        }}
      />
    </span>
  );
}
