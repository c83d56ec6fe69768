export { type DecodeImageOptions, decodeImage } from './decode_image';
export { type ChromaSubsampling, encodeJpeg, encodePng, type JpegOptions } from './encode_image';
export { flipHorizontal } from './flip_image';
export { jpegRoundTrip } from './jpeg_round_trip';
export { psnr } from './psnr';
export { RESIZE_KERNELS, type ResizeKernel, type ResizeOptions, resizeImage } from './resize_image';
export { saveJpeg, savePng } from './save_image';
