// A judged query set: what a person types, and the one paper they mean. Over the bundled corpus (198
// papers, titles and abstracts only) and the arXiv sample (2,000 papers with authors and years), searched
// together, so every query competes with 2,198 papers. Figures are printed; the bar is rank 1 for ≥ 85%
// and the top 5 for every query.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArxivJsonl } from '../../src/core/formats/arxiv';
import { readListing } from '../../src/core/formats/listing';
import { Library } from '../../src/core/library';
import { corpusPath } from './corpora';

const listingFile = path.resolve(__dirname, '../../corpus/papers.txt');
const arxivFile = corpusPath('arxiv/arxiv-metadata-0704-first2000.jsonl');

type Kind = 'topic' | 'title words' | 'abstract phrase' | 'misspelt' | 'key prefix' | 'author + year' | 'author + topic' | 'typing';

/** [query, intended key, what the query exercises] */
const JUDGED: [string, string, Kind][] = [
  ['graph anomaly detection', 'rayleighquotientgraph', 'topic'],
  ['network traffic classification', 'netmambaefficientnetwork', 'topic'],
  ['click-through rate prediction', 'deepinterestnetwork', 'topic'],
  ['speech processing toolkit', 'espnetendend', 'topic'],
  ['smart contract vulnerability', 'knowledgemigrationframework', 'topic'],
  ['brain tumor detection', 'pkyolopretrained', 'topic'],
  ['knowledge distillation anomaly', 'mixedteacherknowledgedistillation', 'topic'],
  ['wireless mesh authentication', 'secureprivacypreserving', 'topic'],
  ['travelling salesman', 'solvingtravellingsalesmen', 'topic'],
  ['pruning sparse optimization', 'accurateneuralnetwork', 'topic'],
  ['graphlets random walks', 'graphletscorrecttopological', 'topic'],
  ['quantum gates noise', 'parodi2007environmental', 'topic'],
  ['virtual try-on', 'anyfitcontrollablevirtual', 'title words'],
  ['noisy labels', 'splitnetlearnableclean', 'title words'],
  ['lottery tickets generative', 'canwefind', 'title words'],
  ['audio spectrogram transformer', 'astaudiospectrogram', 'title words'],
  ['stereo matching', 'pyramidstereomatching', 'title words'],
  ['capital network economy', 'measurescapitalnetwork', 'title words'],
  ['network community profile', 'theoreticalboundsnetwork', 'title words'],
  ['shallow again', 'makedeepnetworks', 'title words'],
  ['FP8', 'fp8formatsdeep', 'title words'],
  ['GCNN all you need', 'ml4cogcnnall', 'title words'],
  ['feed-forward transformers', 'investigatingrolefeed', 'title words'],
  ['mamba gaussian splatting', 'gambamarrygaussian', 'title words'],
  ["Bach's inventions", 'jafari2007long', 'title words'],
  ['schrodinger elliptic', 'dubrovin2007universality', 'title words'],
  ['non-shared weights for LSTM', 'hypernetworks', 'abstract phrase'],
  ['pre-trained text-to-text transformers', 'learninggeneratetask', 'abstract phrase'],
  ['ZEST dataset', 'learninggeneratetask', 'abstract phrase'],
  ['redundancy-based fault tolerance', 'fitacterrorresilient', 'abstract phrase'],
  ['contact structure sensitive', 'controllingspreadepidemics', 'abstract phrase'],
  ['labeled data from the source domain and unlabeled data', 'domainadversarialtraining', 'abstract phrase'],
  ['large mask inpainting', 'resolutionrobustlarge', 'abstract phrase'],
  ['enhances generation quality without additional training', 'freeufreelunch', 'abstract phrase'],
  ['corporate board memberships', 'measurescapitalnetwork', 'abstract phrase'],
  ['computational graph in neural architectures', 'neuralarchitectureretrieval', 'abstract phrase'],
  ['independent and identically distributed', 'causallyfairnode', 'abstract phrase'],
  ['fully differential calculation in perturbative quantum chromodynamics', 'balazs2007calculation', 'abstract phrase'],
  ['reinforcment learning dueling', 'duelingnetworkarchitectures', 'misspelt'],
  ['lotery tickts generativ', 'canwefind', 'misspelt'],
  ['anomly detection graph', 'rayleighquotientgraph', 'misspelt'],
  ['difusion super resolution', 'improvingstabilitydiffusion', 'misspelt'],
  ['sentimnet analysis typhon', 'sentimentanalysistyphoon', 'misspelt'],
  ['stereo matchng', 'pyramidstereomatching', 'misspelt'],
  ['teleportaton', 'cohen2007visualizing', 'misspelt'],
  ['learninggen', 'learninggeneratetask', 'key prefix'],
  ['hypernetw', 'hypernetworks', 'key prefix'],
  ['vectorsearch', 'vectorsearchopenai', 'key prefix'],
  ['duelingnet', 'duelingnetworkarchitectures', 'key prefix'],
  ['rayleighq', 'rayleighquotientgraph', 'key prefix'],
  ['balazs2007calc', 'balazs2007calculation', 'key prefix'],
  ['streinu2007', 'streinu2007sparsity', 'key prefix'],
  ['streinu 2007', 'streinu2007sparsity', 'author + year'],
  ['balazs 2007', 'balazs2007calculation', 'author + year'],
  ['lancon 2007', 'lancon2007modelling', 'author + year'],
  ['kunert-bajraszewska 2007', 'kunertbajraszewska2007first', 'author + year'],
  ['di vecchia string theory', 'divecchia2007birth', 'author + topic'],
  ['gronau cp violation', 'gronau2007cp', 'author + topic'],
  ['lerman flickr', 'lerman2007personalizing', 'author + topic'],
  ['rioul entropy power', 'rioul2007information', 'author + topic'],
  ['brody asset pricing', 'brody2007information', 'author + topic'],
  ['guha broadcast channel', 'guha2007classical', 'author + topic'],
  ['wallden zeno', 'wallden2007quantum', 'author + topic'],
  ['forrester laguerre', 'forrester2007distribution', 'author + topic'],
  ['pham contraction stochastic', 'pham2007contraction', 'author + topic'],
  ['hrycyna phantom cosmology', 'hrycyna2007route', 'author + topic'],
  ['nadolski diphoton', 'balazs2007calculation', 'misspelt'],
  ['forester laguerre', 'forrester2007distribution', 'misspelt'],
  ['mcewan wavelets', 'mcewen2007probing', 'misspelt'],
  ['Balázs diphoton', 'balazs2007calculation', 'author + topic'],
  ['graph anomaly detec', 'rayleighquotientgraph', 'typing'],
  ['strein', 'streinu2007sparsity', 'typing'],
  ['kunert bajr', 'kunertbajraszewska2007first', 'typing'],
  ['speech enhancement derev', 'speechenhancementdereverberation', 'typing'],
  ['mcewen wave', 'mcewen2007probing', 'typing'],
  ['ludwig 3d spectral synth', 'ludwig2007hydrodynamical', 'typing'],
];

describe('search quality on the judged query set', () => {
  const library = Library.build([
    { file: listingFile, format: 'listing', ...readListing(readFileSync(listingFile, 'utf8'), listingFile) },
    { file: arxivFile, format: 'arxiv-jsonl', ...readArxivJsonl(readFileSync(arxivFile, 'utf8'), arxivFile) },
  ]);
  const judged = JUDGED.map(([query, key, kind]) => {
    const keys = library.search(query, { limit: 5 }).map((hit) => hit.paper.key);
    return { query, key, kind, rank: keys.indexOf(key) + 1, top: keys[0] };
  });
  const rank1 = judged.filter((j) => j.rank === 1).length / judged.length;
  const top5 = judged.filter((j) => j.rank >= 1).length / judged.length;
  console.log(
    `search quality: ${judged.length} judged queries, rank 1 ${(rank1 * 100).toFixed(1)}%, top 5 ${(top5 * 100).toFixed(1)}%\n` +
      judged
        .filter((j) => j.rank !== 1)
        .map((j) => `  ${j.kind}: "${j.query}" → ${j.key} at rank ${j.rank || '> 5'} (first: ${j.top})`)
        .join('\n'),
  );

  it('judges at least 40 queries, all of whose intended papers exist', () => {
    expect(judged.length).toBeGreaterThanOrEqual(40);
    expect(judged.filter((j) => !library.byKey(j.key)).map((j) => j.key)).toEqual([]);
  });

  it('puts the intended paper first for at least 85% of queries', () => {
    expect(rank1).toBeGreaterThanOrEqual(0.85);
  });

  it('puts the intended paper in the top 5 for every query', () => {
    expect(judged.filter((j) => j.rank === 0).map((j) => j.query)).toEqual([]);
  });
});
