/** Entry of the layout worker: positions for a graph view, off the main thread. */
import { serve } from './host';
import { layoutHandlers } from './handlers/layout-handlers';

serve(layoutHandlers);
