// Loads the app. A static file (not an inline script) so that the
// Content-Security-Policy can forbid inline scripts.
import init from './ltv-lens-app.js';

init({ module_or_path: new URL('./ltv-lens-app_bg.wasm', import.meta.url) });
