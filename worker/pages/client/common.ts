// Pages with no data of their own (e.g. "not allowed for your role"): the shell's buttons only.
import { initPage } from './lib/page.ts';

initPage();
