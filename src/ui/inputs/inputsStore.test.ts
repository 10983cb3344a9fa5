import { describe, expect, it } from 'vitest';
import { funcflText, setflText } from '../../io/eamFiles.testing.ts';
import { createInputsStore } from './inputsStore.ts';

const good = ['2', 'Lattice="20 0 0 0 20 0 0 0 20"', 'Ar 0 0 0', 'Ar 3.8 0 0', ''].join('\n');

describe('inputs store', () => {
  it('accepts a structure and counts the revision', () => {
    const store = createInputsStore();
    expect(store.uploadStructure({ name: 'two.xyz', text: good })).toBe(true);
    const s = store.getState();
    expect(s.structure?.file).toBe('two.xyz');
    expect(s.structure?.elements).toEqual(['Ar']);
    expect(s.revision).toBe(1);
    expect(s.uploadError).toBeNull();
  });

  it('leaves everything as it was when a file is malformed, and says where', () => {
    const store = createInputsStore();
    store.uploadStructure({ name: 'two.xyz', text: good });
    store.uploadEam([{ name: 'Ar.eam', text: funcflText(undefined, 18, 39.948) }]);
    const before = store.getState();

    expect(store.uploadStructure({ name: 'cut.xyz', text: good.split('\n').slice(0, 3).join('\n') })).toBe(
      false,
    );
    const after = store.getState();
    expect(after.uploadError?.target).toBe('structure');
    expect(after.uploadError?.message).toMatch(/^cut\.xyz:1: frame 1 declares 2 atoms/);
    expect({ ...after, uploadError: null }).toEqual(before);
    expect(after.structure).toBe(before.structure);

    expect(
      store.uploadEam([{ name: 'Ar.eam', text: funcflText().replace(/^(\S+ \S+ \S+ \S+) /m, '$1') }]),
    ).toBe(false);
    expect(store.getState().uploadError?.target).toBe('potential');
    expect(store.getState().uploadError?.message).toMatch(/^Ar\.eam:\d+: /);
    expect(store.getState().eam).toBe(before.eam);
  });

  it('refuses a structure without a known mass or with pbc but no cell, naming file and line', () => {
    const store = createInputsStore();
    expect(store.uploadStructure({ name: 'odd.xyz', text: '1\npbc="T T T"\nAr 0 0 0\n' })).toBe(false);
    expect(store.getState().uploadError?.message).toMatch(/^odd\.xyz: periodic along axis x/);
    expect(store.uploadStructure({ name: 'xx.xyz', text: '1\n\nXx 0 0 0\n' })).toBe(false);
    expect(store.getState().uploadError?.message).toMatch(
      /^xx\.xyz:3: element Xx of atom 1 has no known mass/,
    );
    expect(store.getState().structure).toBeNull();
  });

  it('guesses the EAM style from the file name and re-reads the files when the style changes', () => {
    const store = createInputsStore();
    expect(store.uploadEam([{ name: 'CuNi.eam.alloy', text: setflText(['Cu', 'Ni']) }])).toBe(true);
    expect(store.getState().eam?.style).toBe('eam/alloy');
    // A setfl file is not a funcfl file: the style change is refused and nothing changes.
    const before = store.getState().eam;
    expect(store.setEamStyle('eam')).toBe(false);
    expect(store.getState().eam).toBe(before);
    expect(store.getState().eamStyle).toBe('eam/alloy');
    expect(store.getState().uploadError?.message).toMatch(/^CuNi\.eam\.alloy:/);
    // Back to the style that reads the file: accepted, and the message goes away.
    expect(store.setEamStyle('eam/alloy')).toBe(true);
    expect(store.getState().uploadError).toBeNull();
  });

  it('keeps the mapping per element and goes back to the example', () => {
    const store = createInputsStore();
    store.uploadStructure({ name: 'two.xyz', text: good });
    store.setMapping('Ar', 'NULL');
    expect(store.getState().mapping).toEqual({ Ar: 'NULL' });
    store.chooseExample();
    expect(store.getState().structure).toBeNull();
    expect(store.getState().mapping).toEqual({ Ar: 'NULL' });
  });
});
