/**
 * Units of the engine, as in ASE: energy eV, length Å, mass amu, temperature K, time fs.
 * Velocities are Å/fs and forces eV/Å. These constants convert between them.
 */

/** Boltzmann constant, eV/K. */
export const BOLTZMANN_EV_PER_K = 8.617333262e-5;

/**
 * Acceleration of 1 eV/Å acting on 1 amu, in Å/fs².
 * 1 eV/(Å·amu) = 1.602176634e-19 J / (1e-10 m · 1.66053906660e-27 kg) = 9.64853321e17 m/s².
 */
export const ACCELERATION_PER_FORCE_OVER_MASS = 9.64853321233e-3;

/** Kinetic energy of 1 amu moving at 1 Å/fs, eV (the inverse of the constant above). */
export const KINETIC_ENERGY_EV_PER_AMU_A2_FS2 = 1 / ACCELERATION_PER_FORCE_OVER_MASS;

/** 1 eV/Å³ in GPa, for showing stress. */
export const GPA_PER_EV_PER_A3 = 160.21766208;
