import filesCss from './files.css?url';
import { part } from './lazy.js';
import ratingCss from './rating.css?url';
import transcriptCss from './transcript.css?url';

// The chunks fetched on first use (see lazy.tsx), each with its stylesheet. Each is named after
// its module in the build (assets/part-<name>-<hash>.js and .css), and `npm run size` holds each
// to a budget.

/** Files: the cards and thumbnails in the conversation, and uploading from the composer. */
export const filesPart = part(() => import('./files.js'), filesCss);
/** The thumbs and comment under a closed chat. */
export const ratingPart = part(() => import('./rating.js'), ratingCss);
/** A closed chat by email, with its code for an address not yet shown to be the visitor's. */
export const transcriptPart = part(() => import('./transcript.js'), transcriptCss);
/** The proof of work the offline form and a transcript are asked: proof-part.ts. */
export { proofPart } from './proof-part.js';
/** The site's `setUser` and `setCustomAttributes`. */
export const identityPart = part(() => import('./identity.js'));
