// Writing-aware ranking: the API the language server and the CLI call.
//
//   const related = RelatedIndex.build(library.papers());        // or new RelatedIndex(papers, RelatedModel.fromJSON(saved, papers))
//   papersForParagraph(related, text, offset, 'latex')            // the Related view
//   papersForSentence(related, text, offset, 'latex')             // "Find citations for this sentence" (+ citeOffset)
//   uncitedClaims(text, 'latex')                                  // the opt-in hint
//   citationFitAt(related, text, offset, 'latex', positionOf)     // the hover: "Does this citation fit? / Did you mean …?"
//   related.similar(position)                                     // "Similar papers"
//   related.related(proseText(paragraph, 'markdown'))             // any text (the CLI)
export { uncitedClaims, type UncitedClaim } from './claims';
export { RelatedModel, type RelatedModelJson } from './model';
export { paragraphAt, paragraphs, proseText, readProse, sentenceAt, sentencesIn, type Prose, type ProseSpan, type Sentence } from './prose';
export { RelatedIndex, type PaperSpan, type RelatedHit, type RelatedOptions, type SharedTerm } from './rank';
export {
  MIN_QUERY_WORDS,
  citationFit,
  citationFitAt,
  papersForParagraph,
  papersForSentence,
  type CitationFit,
  type ParagraphPapers,
  type SentencePapers,
  type WritingOptions,
} from './writing';
