import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../adapters/teams/crc32.js';
import { drawColorIcon, drawOutlineIcon } from '../../../adapters/teams/draw-icons.js';
import { buildTeamsAppPackage, manifestDirectory } from '../../../adapters/teams/teams-app-package.js';
import { exampleQuestions } from '../../../adapters/teams/welcome-message.js';
import { isNavigatorError } from '../../../src/index.js';

const appId = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

/** Reads a ZIP through its central directory, checking each entry's CRC: an independent reader. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const checksum = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(crc32(data), name).toBe(checksum);
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** A PNG's size and its RGBA pixels, after checking signature, chunk CRCs and colour type. */
function readPng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const body = png.subarray(at + 8, at + 8 + length);
    expect(crc32(png.subarray(at + 4, at + 8 + length)), type).toBe(png.readUInt32BE(at + 8 + length));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(data));
  expect(rows.length).toBe(height * (1 + width * 4));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    rows.copy(rgba, y * width * 4, y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4));
  return { width, height, rgba };
}

describe('the Teams app package', () => {
  it('zips manifest.json with the app id filled in and both icons, at the archive root', () => {
    const files = readZip(buildTeamsAppPackage(appId));
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0].botId).toBe(appId);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    for (const command of manifest.bots[0].commandLists[0].commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
    expect(manifest.bots[0].commandLists[0].commands[0].title).toBe(exampleQuestions[0]);
    expect(files.get('color.png')).toEqual(readFileSync(join(manifestDirectory(), 'color.png')));
  });

  it('is a ZIP that unzip accepts', () => {
    // No unzip on this machine: the reader above still checked it.
    if (spawnSync('unzip', ['-v']).status !== 0) return;
    const file = join(mkdtempSync(join(tmpdir(), 'teams-package-')), 'app.zip');
    writeFileSync(file, buildTeamsAppPackage(appId));
    expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
  });

  it('refuses an app id that is not a GUID', () => {
    let error: unknown;
    try {
      buildTeamsAppPackage('my-bot');
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toMatch(/^MICROSOFT_APP_ID: "my-bot" is not a GUID/);
  });

  it('ships icons as Teams wants them: 192×192 colour, 32×32 white-on-transparent outline, as drawn', () => {
    const color = readPng(readFileSync(join(manifestDirectory(), 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    // Full-bleed, opaque.
    expect(color.rgba.filter((_, index) => index % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
    const outline = readPng(readFileSync(join(manifestDirectory(), 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // White only.
    expect(outline.rgba.filter((_, index) => index % 4 !== 3).every((channel) => channel === 255)).toBe(true);
    expect(outline.rgba.filter((_, index) => index % 4 === 3).some((alpha) => alpha === 0)).toBe(true);
    // The checked-in icons are what draw-icons.ts draws (pixels compared: deflate output may vary by zlib).
    expect(readPng(drawColorIcon()).rgba.equals(color.rgba)).toBe(true);
    expect(readPng(drawOutlineIcon()).rgba.equals(outline.rgba)).toBe(true);
  });
});
