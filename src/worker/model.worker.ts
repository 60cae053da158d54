/** Entry of the model worker: parsing, analysis and (later) transformations run here, off the main thread. */
import { serve } from './host';
import { modelHandlers } from './handlers/model-handlers';

serve(modelHandlers);
