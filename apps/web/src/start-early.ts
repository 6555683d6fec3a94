// Imported first by main.tsx, so it runs before the rest of the application's modules are evaluated.
import { warmStart } from './warm-start';

warmStart(window.location);
