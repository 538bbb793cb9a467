// Sentences that read as claims about prior work and cite nothing: "has been shown", "state of the art", "recent
// work", "outperforms", a percentage or a comparison. The editor shows them as a faint hint (opt-in).
import type { DocumentLanguage } from '../documents/citations';
import { paragraphs, readProse, sentencesIn, type Prose } from './prose';

export interface UncitedClaim {
  /** The sentence, offsets in the document. */
  start: number;
  end: number;
  /** What makes it a claim, as written: "has been shown", "outperforms", "42%". */
  cue: string;
}

/** Phrases by which writers report what others found. Case-insensitive, on the sentence's prose. */
const CLAIM_CUES: RegExp[] = [
  /\b(?:has|have|had) (?:been|already been) (?:shown|demonstrated|proven|proved|reported|observed|established|found|argued|suggested)\b/i,
  /\b(?:is|are|was|were) (?:widely|commonly|generally|well) (?:known|used|adopted|accepted|believed|studied)\b/i,
  /\bit is (?:well[- ])?known\b/i,
  /\bstate[- ]of[- ]the[- ]art\b/i,
  /\b(?:recent|previous|prior|earlier|existing|related) (?:work|works|studies|research|approaches|methods|efforts|literature)\b/i,
  /\b(?:studies|researchers|authors|experiments|others) (?:have )?(?:shown|found|reported|demonstrated|observed)\b/i,
  /\boutperform(?:s|ed|ing)?\b/i,
  /\b(?:better|worse|faster|slower|higher|lower|larger|smaller|more accurate|less accurate|superior|inferior) than\b/i,
];
/** A percentage: "42%", "42 %", "42\%" (LaTeX), "42 percent". */
const PERCENTAGE = /\d+(?:[.,]\d+)?\s?\\?%|\d+\s?per ?cent\b/i;
/** Sentences shorter than this (in words) are headings, captions or fragments. */
const MIN_WORDS = 5;

/** Every sentence of the document that reads as a claim and holds no citation, in order. */
export function uncitedClaims(text: string, language: DocumentLanguage, prose: Prose = readProse(text, language)): UncitedClaim[] {
  const claims: UncitedClaim[] = [];
  for (const paragraph of paragraphs(text, language, prose)) {
    for (const sentence of sentencesIn(prose, text, paragraph)) {
      if (sentence.hasCitation) continue;
      if ((sentence.text.match(/[\p{L}\p{N}]+/gu) ?? []).length < MIN_WORDS) continue;
      const cue = claimCue(sentence.text, text.slice(sentence.start, sentence.end));
      if (cue !== undefined) claims.push({ start: sentence.start, end: sentence.end, cue });
    }
  }
  return claims;
}

/** What makes a sentence a claim: a cue phrase in its prose, or a percentage in its text. */
export function claimCue(prose: string, original: string): string | undefined {
  for (const cue of CLAIM_CUES) {
    const match = cue.exec(prose);
    if (match) return match[0].replace(/\s+/g, ' ');
  }
  // The percent sign is markup in LaTeX (`\%`), blanked in the prose: read it from the text.
  return PERCENTAGE.exec(original)?.[0].replace(/\\/g, '');
}
