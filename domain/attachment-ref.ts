/**
 * A file attached to a submission: only its reference lives in workflow history; the bytes are in
 * the attachment store (web/attachment-store.ts), found by `hash` (SHA-256 of the content, lowercase hex).
 */
export interface AttachmentRef {
  hash: string;
  name: string;
  /** The media type found in the content (not the one the name suggests). */
  type: string;
  size: number;
}
