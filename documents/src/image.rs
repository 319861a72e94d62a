//! Images placed in PDFs (signatures and uploaded pictures): PNG decoded to 8-bit RGB or gray
//! with its alpha as a soft mask, JPEG passed through as it is. Bounded: a picture larger than
//! 25 megapixels is refused.

use std::collections::BTreeMap;

use crate::error::DocumentError;

/// Image files by the reference the text names them with (`[FILE 3, …]` → `"3"`).
pub type Images = BTreeMap<String, Vec<u8>>;

/// The most pixels an image may have.
const MAX_PIXELS: u64 = 25_000_000;

/// How the samples of a [`Picture`] are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// zlib (`/FlateDecode`).
    Flate,
    /// JPEG (`/DCTDecode`).
    Jpeg,
}

/// An image ready for a PDF image XObject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 (gray) or 3 (RGB).
    pub components: u8,
    /// The encoded samples.
    pub data: Vec<u8>,
    /// How `data` is encoded.
    pub encoding: Encoding,
    /// The alpha channel (8-bit gray, zlib), if the image has one.
    pub alpha: Option<Vec<u8>>,
}

fn bad(reason: impl Into<String>) -> DocumentError {
    DocumentError::BadFile {
        kind: "image",
        reason: reason.into(),
    }
}

/// Decodes a PNG or JPEG file.
///
/// # Errors
/// Another format, a damaged file, or one too large.
pub fn decode(bytes: &[u8]) -> Result<Picture, DocumentError> {
    if bytes.starts_with(&[0xff, 0xd8]) {
        return jpeg(bytes);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png(bytes);
    }
    Err(bad("only PNG and JPEG images can be placed in documents"))
}

fn jpeg(bytes: &[u8]) -> Result<Picture, DocumentError> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xff {
            return Err(bad("a damaged JPEG"));
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_sof = (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_sof {
            let seg = bytes
                .get(i + 4..i + 2 + len)
                .ok_or_else(|| bad("a damaged JPEG"))?;
            if seg.len() < 6 {
                return Err(bad("a damaged JPEG"));
            }
            let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
            let components = seg[5];
            if !matches!(components, 1 | 3) || width == 0 || height == 0 {
                return Err(bad("only gray and RGB JPEGs can be placed"));
            }
            return Ok(Picture {
                width,
                height,
                components,
                data: bytes.to_vec(),
                encoding: Encoding::Jpeg,
                alpha: None,
            });
        }
        i += 2 + len;
    }
    Err(bad("a JPEG without a frame header"))
}

fn png(bytes: &[u8]) -> Result<Picture, DocumentError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| bad(e.to_string()))?;
    let (w, h) = {
        let info = reader.info();
        (info.width, info.height)
    };
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w == 0 || h == 0 {
        return Err(bad(format!("a {w}×{h} image is too large")));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| bad("the image is too large"))?;
    let mut buf = vec![0; size];
    let frame = reader
        .next_frame(&mut buf)
        .map_err(|e| bad(e.to_string()))?;
    let buf = &buf[..frame.buffer_size()];
    let (components, channels, has_alpha) = match frame.color_type {
        png::ColorType::Grayscale => (1u8, 1usize, false),
        png::ColorType::GrayscaleAlpha => (1, 2, true),
        png::ColorType::Rgb => (3, 3, false),
        png::ColorType::Rgba => (3, 4, true),
        png::ColorType::Indexed => return Err(bad("an indexed PNG was not expanded")),
    };
    let pixels = (w as usize) * (h as usize);
    if buf.len() < pixels * channels {
        return Err(bad("a damaged PNG"));
    }
    let mut color = Vec::with_capacity(pixels * usize::from(components));
    let mut alpha = Vec::with_capacity(if has_alpha { pixels } else { 0 });
    for px in buf.chunks_exact(channels).take(pixels) {
        color.extend_from_slice(&px[..usize::from(components)]);
        if has_alpha {
            alpha.push(px[channels - 1]);
        }
    }
    Ok(Picture {
        width: w,
        height: h,
        components,
        data: miniz_oxide::deflate::compress_to_vec_zlib(&color, 6),
        encoding: Encoding::Flate,
        alpha: has_alpha.then(|| miniz_oxide::deflate::compress_to_vec_zlib(&alpha, 6)),
    })
}

/// The reference of the image named by `[FILE ref, …]` markup, when `text` is only that.
pub fn file_reference(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.strip_prefix("[FILE ")?.strip_suffix(']')?;
    let r = inner.split(',').next()?.trim();
    (!r.is_empty()).then_some(r)
}

/// A PNG of `w`×`h` RGBA pixels (for tests).
#[cfg(test)]
pub fn test_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h).flat_map(|i| [i as u8, 0, 255, 128]).collect();
        writer.write_image_data(&data).unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pngs_and_jpegs() {
        let p = decode(&test_png(4, 3)).unwrap();
        assert_eq!((p.width, p.height, p.components), (4, 3, 3));
        assert_eq!(p.encoding, Encoding::Flate);
        let color = miniz_oxide::inflate::decompress_to_vec_zlib(&p.data).unwrap();
        assert_eq!(color.len(), 4 * 3 * 3);
        assert_eq!(&color[3..6], &[1, 0, 255]);
        let alpha = miniz_oxide::inflate::decompress_to_vec_zlib(&p.alpha.unwrap()).unwrap();
        assert_eq!(alpha, vec![128; 12]);
        // A minimal JPEG header: SOI, SOF0 (8 bits, 2×5, 3 components).
        let jpg = [
            0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 2, 0, 5, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
        ];
        let j = decode(&jpg).unwrap();
        assert_eq!(
            (j.width, j.height, j.components, j.encoding),
            (5, 2, 3, Encoding::Jpeg)
        );
        assert!(decode(b"GIF89a").is_err());
        assert!(decode(b"\x89PNG\r\n\x1a\nbroken").is_err());
        assert!(decode(&[0xff, 0xd8, 0xff]).is_err());
    }

    #[test]
    fn file_markup() {
        assert_eq!(file_reference("[FILE 3, None, None]"), Some("3"));
        assert_eq!(file_reference(" [FILE sig.png] "), Some("sig.png"));
        assert_eq!(file_reference("Jane"), None);
    }
}
