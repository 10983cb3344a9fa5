import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { aseFireCommand, aseVelocityVerletCommand } from './scripts/ase.ts';
import { chromiumArgs, chromiumPath } from './scripts/chromium.ts';
import { lammpsEvaluateCommand, lammpsLennardJonesCommand, lammpsNveCommand } from './scripts/lammps.ts';
import { readPotentialFileCommand } from './scripts/potentialFiles.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.gpu.test.ts', 'node_modules/**'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['src/**/*.gpu.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
            // Server-side functions that GPU tests call via `commands` from 'vitest/browser'.
            commands: {
              lammpsLennardJones: lammpsLennardJonesCommand,
              lammpsEvaluate: lammpsEvaluateCommand,
              lammpsNve: lammpsNveCommand,
              readPotentialFile: readPotentialFileCommand,
              aseFire: aseFireCommand,
              aseVelocityVerlet: aseVelocityVerletCommand,
            },
          },
        },
      },
    ],
  },
});
