export * from './datasets';
export * from './faces';
export type { VideoRecord } from './video_record';
