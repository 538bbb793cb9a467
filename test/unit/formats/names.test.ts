import { describe, expect, it } from 'vitest';
import { formatNamesBibtex, parseNames } from '../../../src/core/formats/names';

describe('parseNames', () => {
  it('reads "Last, First" and "First Last" forms', () => {
    expect(parseNames('Kulkarni, Amba and Oliver Hellwig')).toEqual([
      { family: 'Kulkarni', given: 'Amba' },
      { family: 'Hellwig', given: 'Oliver' },
    ]);
  });

  it('splits von and Jr parts as BibTeX does', () => {
    expect(parseNames('Ludwig van Beethoven and van der Berg, Jr., Jan and de la Fuente, Juan')).toEqual([
      { family: 'Beethoven', given: 'Ludwig', prefix: 'van' },
      { family: 'Berg', given: 'Jan', prefix: 'van der', suffix: 'Jr.' },
      { family: 'Fuente', given: 'Juan', prefix: 'de la' },
    ]);
  });

  it('keeps a doubly braced corporate name whole', () => {
    expect(parseNames('{World Health Organization} and {Barnes and Noble, Inc.}')).toEqual([
      { family: 'World Health Organization', literal: true },
      { family: 'Barnes and Noble, Inc.', literal: true },
    ]);
  });

  it('marks "and others" and splits on upper-case AND', () => {
    expect(parseNames('Smith, J. AND Doe, Jane and others')).toEqual([
      { family: 'Smith', given: 'J.' },
      { family: 'Doe', given: 'Jane' },
      { family: 'others', others: true },
    ]);
  });

  it('renders accents in every part and reads accented lower-case words as von', () => {
    expect(parseNames('M{\\"u}ller, J{\\"o}rg and {\\\'E}mile Zola and J. {\\"a}ber Kant')).toEqual([
      { family: 'Müller', given: 'Jörg' },
      { family: 'Zola', given: 'Émile' },
      { family: 'Kant', given: 'J.', prefix: 'äber' },
    ]);
  });

  it('takes the case of a {\\…} special character from its first letter, or from the command for {\\ss}, {\\O}', () => {
    expect(parseNames('{\\relax Ch}ristopher Manning and Jan {\\v{c}}e Novak and Jan {\\v{C}}apek and Karl {\\o}ber Smith and Karl {\\O}berg')).toEqual([
      { family: 'Manning', given: 'Christopher' },
      { family: 'Novak', given: 'Jan', prefix: 'če' },
      { family: 'Čapek', given: 'Jan' },
      { family: 'Smith', given: 'Karl', prefix: 'øber' },
      { family: 'Øberg', given: 'Karl' },
    ]);
  });

  it('keeps a tilde accent inside a word while a tie separates words', () => {
    expect(parseNames('von Helmh\\"oltz, Herm\\"an\\~n and Donald~E.~Knuth')).toEqual([
      { family: 'Helmhöltz', given: 'Hermänñ', prefix: 'von' },
      { family: 'Knuth', given: 'Donald E.' },
    ]);
  });

  it('reads the BibLaTeX extended name format', () => {
    expect(parseNames('family=Gogh, given=Vincent, prefix=van and given=Jan, family=Berg')).toEqual([
      { family: 'Gogh', given: 'Vincent', prefix: 'van' },
      { family: 'Berg', given: 'Jan' },
    ]);
  });

  it('reads every part of the extended name format by its name, options and ids never becoming names', () => {
    expect(parseNames('family=Adler, given=Alfred, prefix=von, useprefix=true')).toEqual([
      { family: 'Adler', given: 'Alfred', prefix: 'von' },
    ]);
    expect(parseNames('family=Adler, given=Alfred')).toEqual([{ family: 'Adler', given: 'Alfred' }]);
    expect(parseNames('id=a1, family={van der Berg}, given=Jan, given-i={Ja}, uniquename=false, suffix=Jr. and ' +
      'given=Ann, middle=Beth, family=Smith, giveni=A and family=Sm{\\"i}th, given="Jane, Q.", useprefix=false')).toEqual([
      { family: 'van der Berg', given: 'Jan', suffix: 'Jr.' },
      { family: 'Smith', given: 'Ann Beth' },
      { family: 'Smïth', given: 'Jane, Q.' },
    ]);
  });

  it('takes a leading `useprefix=false` item for a list option, not an author', () => {
    expect(parseNames('useprefix=false and von Neumann, John and family=Adler, prefix=von, given=Alfred')).toEqual([
      { family: 'Neumann', given: 'John', prefix: 'von' },
      { family: 'Adler', given: 'Alfred', prefix: 'von' },
    ]);
    expect(parseNames('sortingnamekeytemplatename=short and Doe, Jane')).toEqual([{ family: 'Doe', given: 'Jane' }]);
  });

  it('skips an XDATA reference left in a name list (the reader resolves the ones it can)', () => {
    expect(parseNames('xdata=someset-author and Doe, Jane')).toEqual([{ family: 'Doe', given: 'Jane' }]);
  });

  it('reads citation-js\'s labelled name parts: "=" inside a value, the later of a repeated part', () => {
    expect(parseNames('given=A=B, family=C and given=A, family=B, given=C')).toEqual([
      { family: 'C', given: 'A=B' },
      { family: 'B', given: 'C' },
    ]);
  });

  it('does not split inside braces or on words containing "and"', () => {
    expect(parseNames('Alexander Sandford and {Smith and Sons}')).toEqual([
      { family: 'Sandford', given: 'Alexander' },
      { family: 'Smith and Sons', literal: true },
    ]);
  });

  it('reads the IRIDIA macro-concatenated list after expansion', () => {
    expect(parseNames(' Emile H. L. Aarts  and  Korst, Jan H. M. ')).toEqual([
      { family: 'Aarts', given: 'Emile H. L.' },
      { family: 'Korst', given: 'Jan H. M.' },
    ]);
  });
});

describe('formatNamesBibtex', () => {
  const people = [
    { family: 'Beethoven', given: 'Ludwig', prefix: 'van' },
    { family: 'Berg', given: 'Jan', prefix: 'van der', suffix: 'Jr.' },
    { family: 'World Health Organization', literal: true },
    { family: 'Smith & Sons, Ltd', given: 'Ann' },
    { family: 'others', others: true },
  ];

  it('writes "von Last, Jr, First", braces corporate names and escapes specials', () => {
    expect(formatNamesBibtex(people)).toBe(
      'van Beethoven, Ludwig and van der Berg, Jr., Jan and {World Health Organization} and {Smith \\& Sons, Ltd}, Ann and others',
    );
  });

  it('round-trips through parseNames', () => {
    expect(parseNames(formatNamesBibtex(people))).toEqual(people);
  });
});
