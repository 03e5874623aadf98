// The floor's popup: a page that renders one Preact element. Its first import marks the module start, as the bench
// build of ours does (bench/popup-marks.ts).
import './../popup-marks';
import { render } from 'preact';

const root = document.getElementById('app');
if (root) render(<main aria-busy="false">Floor</main>, root);
