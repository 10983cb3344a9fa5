/**
 * Element data for colours, radii and default masses. Values as in ASE (`ase.data`): standard
 * atomic masses (IUPAC 2016), Jmol (CPK-like) colours, covalent radii of Cordero et al. (2008)
 * and van der Waals radii of Alvarez (2013).
 */

/** One chemical element. */
export interface Element {
  /** Standard symbol, e.g. `Ar` (case-sensitive). */
  symbol: string;
  /** English name. */
  name: string;
  /** Atomic number Z. */
  atomicNumber: number;
  /** Standard atomic mass, amu. */
  mass: number;
  /** Jmol colour, 0xRRGGBB. */
  color: number;
  /** Covalent radius, Å (Cordero 2008). */
  covalentRadius: number;
  /** Van der Waals radius, Å (Alvarez 2013). */
  vdwRadius: number;
}

type Row = [
  symbol: string,
  name: string,
  z: number,
  mass: number,
  color: number,
  covalent: number,
  vdw: number,
];

const ROWS: Row[] = [
  ['H', 'Hydrogen', 1, 1.008, 0xffffff, 0.31, 1.2],
  ['He', 'Helium', 2, 4.002602, 0xd9ffff, 0.28, 1.43],
  ['Li', 'Lithium', 3, 6.94, 0xcc80ff, 1.28, 2.12],
  ['Be', 'Beryllium', 4, 9.0121831, 0xc2ff00, 0.96, 1.98],
  ['B', 'Boron', 5, 10.81, 0xffb5b5, 0.84, 1.91],
  ['C', 'Carbon', 6, 12.011, 0x909090, 0.76, 1.77],
  ['N', 'Nitrogen', 7, 14.007, 0x3050f8, 0.71, 1.66],
  ['O', 'Oxygen', 8, 15.999, 0xff0d0d, 0.66, 1.5],
  ['F', 'Fluorine', 9, 18.998403163, 0x90e050, 0.57, 1.46],
  ['Ne', 'Neon', 10, 20.1797, 0xb3e3f5, 0.58, 1.58],
  ['Na', 'Sodium', 11, 22.98976928, 0xab5cf2, 1.66, 2.5],
  ['Mg', 'Magnesium', 12, 24.305, 0x8aff00, 1.41, 2.51],
  ['Al', 'Aluminium', 13, 26.9815385, 0xbfa6a6, 1.21, 2.25],
  ['Si', 'Silicon', 14, 28.085, 0xf0c8a0, 1.11, 2.19],
  ['P', 'Phosphorus', 15, 30.973761998, 0xff8000, 1.07, 1.9],
  ['S', 'Sulfur', 16, 32.06, 0xffff30, 1.05, 1.89],
  ['Cl', 'Chlorine', 17, 35.45, 0x1ff01f, 1.02, 1.82],
  ['Ar', 'Argon', 18, 39.948, 0x80d1e3, 1.06, 1.83],
  ['K', 'Potassium', 19, 39.0983, 0x8f40d4, 2.03, 2.73],
  ['Ca', 'Calcium', 20, 40.078, 0x3dff00, 1.76, 2.62],
  ['Sc', 'Scandium', 21, 44.955908, 0xe6e6e6, 1.7, 2.58],
  ['Ti', 'Titanium', 22, 47.867, 0xbfc2c7, 1.6, 2.46],
  ['V', 'Vanadium', 23, 50.9415, 0xa6a6ab, 1.53, 2.42],
  ['Cr', 'Chromium', 24, 51.9961, 0x8a99c7, 1.39, 2.45],
  ['Mn', 'Manganese', 25, 54.938044, 0x9c7ac7, 1.39, 2.45],
  ['Fe', 'Iron', 26, 55.845, 0xe06633, 1.32, 2.44],
  ['Co', 'Cobalt', 27, 58.933194, 0xf090a0, 1.26, 2.4],
  ['Ni', 'Nickel', 28, 58.6934, 0x50d050, 1.24, 2.4],
  ['Cu', 'Copper', 29, 63.546, 0xc88033, 1.32, 2.38],
  ['Zn', 'Zinc', 30, 65.38, 0x7d80b0, 1.22, 2.39],
  ['Ga', 'Gallium', 31, 69.723, 0xc28f8f, 1.22, 2.32],
  ['Ge', 'Germanium', 32, 72.63, 0x668f8f, 1.2, 2.29],
  ['As', 'Arsenic', 33, 74.921595, 0xbd80e3, 1.19, 1.88],
  ['Se', 'Selenium', 34, 78.971, 0xffa100, 1.2, 1.82],
  ['Br', 'Bromine', 35, 79.904, 0xa62929, 1.2, 1.86],
  ['Kr', 'Krypton', 36, 83.798, 0x5cb8d1, 1.16, 2.25],
  ['Ag', 'Silver', 47, 107.8682, 0xc0c0c0, 1.45, 2.53],
  ['Sn', 'Tin', 50, 118.71, 0x668080, 1.39, 2.42],
  ['Xe', 'Xenon', 54, 131.293, 0x429eb0, 1.4, 2.06],
  ['Pt', 'Platinum', 78, 195.084, 0xd0d0e0, 1.36, 2.29],
  ['Au', 'Gold', 79, 196.966569, 0xffd123, 1.36, 2.32],
  ['Pb', 'Lead', 82, 207.2, 0x575961, 1.46, 2.6],
];

/** Elements of the table, by increasing atomic number. */
export const ELEMENTS: readonly Element[] = ROWS.map(
  ([symbol, name, atomicNumber, mass, color, covalentRadius, vdwRadius]): Element =>
    Object.freeze({ symbol, name, atomicNumber, mass, color, covalentRadius, vdwRadius }),
);

const bySymbol = new Map(ELEMENTS.map((e) => [e.symbol, e]));
const byNumber = new Map(ELEMENTS.map((e) => [e.atomicNumber, e]));

/** The element with this standard symbol (case-sensitive: `Ar`, not `AR`); throws if unknown. */
export function elementBySymbol(symbol: string): Element {
  const e = bySymbol.get(symbol);
  if (e) return e;
  const hint = bySymbol.get(symbol.charAt(0).toUpperCase() + symbol.slice(1).toLowerCase());
  throw new Error(
    `unknown element symbol "${symbol}"${hint ? ` (did you mean "${hint.symbol}"? symbols are case-sensitive)` : ''}; known: ${ELEMENTS.map((x) => x.symbol).join(' ')}`,
  );
}

/** The element with atomic number `z`; throws if it is not in the table. */
export function elementByNumber(z: number): Element {
  const e = byNumber.get(z);
  if (e) return e;
  throw new Error(`no element with atomic number ${z} in the table (H–Kr, Ag, Sn, Xe, Pt, Au, Pb)`);
}

/** Like {@link elementBySymbol} but returns undefined instead of throwing. */
export function findElement(symbol: string): Element | undefined {
  return bySymbol.get(symbol);
}
