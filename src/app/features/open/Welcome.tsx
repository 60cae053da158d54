import { SamplePicker } from './SamplePicker';

/** The empty state: what the studio does, where to start. */
export function Welcome() {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Make a trained model fast on a CPU</h2>
      <p>
        Drop an ONNX model anywhere on this page (with its external-data files, if it has any), use <em>Open model</em>, or start
        from a sample. Everything runs in your browser: the model is never uploaded.
      </p>
      <SamplePicker />
      <p className="muted">
        Have a PyTorch, TensorFlow or Keras model? Export it to ONNX first — the studio tells you how if you drop one here.
      </p>
    </section>
  );
}
