// The built-in platforms' account rules, as core uses them (admins, link commands, name matching),
// and the registry's one rule: an id names one profile.
import { describe, expect, it } from 'vitest';
import { platformClaiming, platformIds, registerPlatform } from '../core/platforms.js';
import { discourseProfile } from './discourse/profile.js';
import { matrixProfile } from './matrix/profile.js';
import { registerBuiltInPlatforms } from './profiles.js';

describe('the built-in platform profiles', () => {
  it('are registered Matrix first, and registering them again changes nothing', () => {
    registerBuiltInPlatforms();
    expect(platformIds()).toEqual(['matrix', 'discourse']);
  });

  it('refuse a second, different profile under a registered id', () => {
    expect(() => registerPlatform({ ...discourseProfile, name: 'another forum' })).toThrow(/"discourse" is registered already/);
  });

  it('tell an admin entry by its form: a Matrix id, else a forum username', () => {
    expect(platformClaiming('@ana:example.org')?.id).toBe('matrix');
    expect(platformClaiming('ana_k')?.id).toBe('discourse');
    expect(platformClaiming('@Ana_K')?.id).toBe('discourse');
  });

  it('compare Matrix ids exactly and forum usernames in any case, with or without "@"', () => {
    expect(matrixProfile.normalize('@Ana:example.org')).toBe('@Ana:example.org');
    expect(discourseProfile.normalize('@Ana_K')).toBe('ana_k');
  });

  it('read the account of a link command the way each platform writes it', () => {
    expect(matrixProfile.link.parse('ana:example.org')).toBe('@ana:example.org');
    expect(matrixProfile.link.parse('@ana:example.org')).toBe('@ana:example.org');
    expect(discourseProfile.link.parse('@ana_k')).toBe('ana_k');
    expect(matrixProfile.link.parse('@')).toBeNull();
    expect(discourseProfile.link.parse('@')).toBeNull();
  });

  it('take the handle a person chose: the Matrix localpart, the forum username', () => {
    expect(matrixProfile.handle('@andriy.shevchenko:localhost')).toBe('andriy.shevchenko');
    expect(discourseProfile.handle('andriy_s')).toBe('andriy_s');
  });
});
