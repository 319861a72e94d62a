//! The standard PDF fonts the writers use (Helvetica in four styles, Courier): their advance
//! widths (Adobe's AFM metrics, in thousandths of the font size) and WinAnsi encoding.

use crate::model::Style;

/// One of the fonts of a PDF page's resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Font {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
    /// Helvetica-Oblique.
    Italic,
    /// Helvetica-BoldOblique.
    BoldItalic,
    /// Courier.
    Mono,
}

impl Font {
    /// Every font, in resource order.
    pub const ALL: [Font; 5] = [
        Font::Regular,
        Font::Bold,
        Font::Italic,
        Font::BoldItalic,
        Font::Mono,
    ];

    /// The font for a style.
    pub fn of(style: Style) -> Font {
        match (style.code, style.bold, style.italic) {
            (true, _, _) => Font::Mono,
            (false, true, true) => Font::BoldItalic,
            (false, true, false) => Font::Bold,
            (false, false, true) => Font::Italic,
            (false, false, false) => Font::Regular,
        }
    }

    /// The resource name (`F1` …).
    pub fn resource(self) -> &'static [u8] {
        match self {
            Font::Regular => b"F1",
            Font::Bold => b"F2",
            Font::Italic => b"F3",
            Font::BoldItalic => b"F4",
            Font::Mono => b"F5",
        }
    }

    /// The PostScript name of the standard font.
    pub fn base_name(self) -> &'static [u8] {
        match self {
            Font::Regular => b"Helvetica",
            Font::Bold => b"Helvetica-Bold",
            Font::Italic => b"Helvetica-Oblique",
            Font::BoldItalic => b"Helvetica-BoldOblique",
            Font::Mono => b"Courier",
        }
    }

    fn bold(self) -> bool {
        matches!(self, Font::Bold | Font::BoldItalic)
    }

    /// The width of `c` in thousandths of the font size.
    pub fn char_width(self, c: char) -> u16 {
        if self == Font::Mono {
            return 600;
        }
        let table = if self.bold() {
            &HELVETICA_BOLD
        } else {
            &HELVETICA
        };
        let code = u32::from(c);
        if (32..=126).contains(&code) {
            return table[(code - 32) as usize];
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' => {
                if self.bold() {
                    278
                } else {
                    222
                }
            }
            '\u{201c}' | '\u{201d}' | '\u{201e}' => {
                if self.bold() {
                    500
                } else {
                    333
                }
            }
            '\u{2022}' => 350,
            '\u{2013}' | '\u{20ac}' => 556,
            '\u{2014}' | '\u{2026}' | '\u{2030}' | '\u{2122}' => 1000,
            '\u{a0}' => 278,
            '\u{a7}' | '\u{b6}' => 556,
            '\u{b0}' => 400,
            _ => {
                // An accented letter is as wide as its base letter, near enough.
                let base = base_letter(c);
                if base != c {
                    self.char_width(base)
                } else {
                    556
                }
            }
        }
    }

    /// The width of `text` at `size` points.
    pub fn width(self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.char_width(c))).sum();
        units as f32 * size / 1000.0
    }
}

/// The unaccented letter of the Latin-1 accented letters.
fn base_letter(c: char) -> char {
    match c {
        'À'..='Å' => 'A',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ñ' => 'N',
        'Ò'..='Ö' | 'Ø' => 'O',
        'Ù'..='Ü' => 'U',
        'Ý' | 'Ÿ' => 'Y',
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' | 'ø' => 'o',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'Š' => 'S',
        'š' => 's',
        'Ž' => 'Z',
        'ž' => 'z',
        other => other,
    }
}

/// `text` in WinAnsi (Windows-1252) bytes; characters it lacks become `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi_byte).collect()
}

fn win_ansi_byte(c: char) -> u8 {
    let code = u32::from(c);
    if code < 0x80 || (0xa0..=0xff).contains(&code) {
        return code as u8;
    }
    match c {
        '\u{20ac}' => 0x80,
        '\u{201a}' => 0x82,
        '\u{0192}' => 0x83,
        '\u{201e}' => 0x84,
        '\u{2026}' => 0x85,
        '\u{2020}' => 0x86,
        '\u{2021}' => 0x87,
        '\u{02c6}' => 0x88,
        '\u{2030}' => 0x89,
        '\u{0160}' => 0x8a,
        '\u{2039}' => 0x8b,
        '\u{0152}' => 0x8c,
        '\u{017d}' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{02dc}' => 0x98,
        '\u{2122}' => 0x99,
        '\u{0161}' => 0x9a,
        '\u{203a}' => 0x9b,
        '\u{0153}' => 0x9c,
        '\u{017e}' => 0x9e,
        '\u{0178}' => 0x9f,
        _ => b'?',
    }
}

/// Helvetica, characters 32–126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold, characters 32–126.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_metrics() {
        assert_eq!(Font::Regular.char_width('A'), 667);
        assert_eq!(Font::Bold.char_width('A'), 722);
        assert_eq!(Font::Bold.char_width('~'), 584);
        assert_eq!(Font::Mono.char_width('i'), 600);
        assert_eq!(Font::Regular.char_width('é'), 556);
        assert!((Font::Regular.width("AA", 10.0) - 13.34).abs() < 0.001);
    }

    #[test]
    fn win_ansi_encodes_latin_1_and_typography() {
        assert_eq!(
            win_ansi("aé\u{2019}\u{2014}\u{4e2d}"),
            vec![b'a', 0xe9, 0x92, 0x97, b'?']
        );
    }
}
