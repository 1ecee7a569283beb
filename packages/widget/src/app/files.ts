// The files part (parts.ts): one chunk for showing files and sending them.

export { Files } from './attachments.js';
export { startUpload } from './uploading.js';
