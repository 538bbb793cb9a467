// Workspace files more than one spec uses.

/** Two good entries around one the reader cannot read (line 10): the Library tree's problem rows. */
export const BROKEN_BIB = [
  '% Two good entries around a broken one.',
  '@article{good2020,',
  '  author = {Good, Ann},',
  '  title = {A Well Formed Entry},',
  '  year = {2020}',
  '}',
  '',
  '@article{broken2021,',
  '  author = {Broken, Bob},',
  '  title = {An Entry With An Unclosed Brace,',
  '  year = {2021}',
  '',
  '@book{fine2019,',
  '  author = {Fine, Fay},',
  '  title = {Another Good One},',
  '  year = {2019}',
  '}',
  '',
].join('\n');
