import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodePng } from './png-writer.js';
import { manifestDirectory } from './teams-app-package.js';

// Draws the two Teams app icons (a compass: ring and needle) and writes them next to manifest.json.
// Teams wants a 192×192 colour icon and a 32×32 outline icon that is white on transparent only.
// Run once after changing the drawing: node dist/adapters/teams/draw-icons.js

type Paint = (x: number, y: number) => number; // coverage 0..1 of the white symbol at a point in [-1, 1]²

const accent = [0x0e, 0x6e, 0x7a] as const; // the manifest's accentColor, #0E6E7A

/** The compass symbol: coverage at (x, y), with the needle pointing up and to the right. */
function compass(x: number, y: number): number {
  const radius = Math.hypot(x, y);
  if (radius >= 0.76 && radius <= 0.96) return 1;
  const along = (x - y) / Math.SQRT2; // towards the top right
  const across = (x + y) / Math.SQRT2;
  const inNeedle = Math.abs(across) <= 0.24 * (1 - Math.abs(along) / 0.62);
  const inHub = radius <= 0.08;
  return inNeedle && !inHub ? 1 : 0;
}

/** Rasterises with 4×4 supersampling so edges are smooth. */
function rasterise(
  size: number,
  scale: number,
  background: readonly [number, number, number] | undefined,
  paint: Paint,
): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      let coverage = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (((column + (sx + 0.5) / samples) / size) * 2 - 1) / scale;
          const y = (((row + (sy + 0.5) / samples) / size) * 2 - 1) / scale;
          coverage += paint(x, y);
        }
      }
      coverage /= samples * samples;
      const at = (row * size + column) * 4;
      if (background) {
        for (let channel = 0; channel < 3; channel++)
          rgba[at + channel] = Math.round(background[channel]! + (255 - background[channel]!) * coverage);
        rgba[at + 3] = 255;
      } else {
        rgba.set([255, 255, 255, Math.round(255 * coverage)], at);
      }
    }
  }
  return rgba;
}

/** The colour icon: white compass on the accent colour, the symbol inside the central safe area. */
export function drawColorIcon(): Buffer {
  return encodePng(192, 192, rasterise(192, 0.55, accent, compass));
}

/** The outline icon: white compass on transparent, filling most of the 32×32 square. */
export function drawOutlineIcon(): Buffer {
  return encodePng(32, 32, rasterise(32, 0.95, undefined, compass));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const directory = manifestDirectory();
  writeFileSync(join(directory, 'color.png'), drawColorIcon());
  writeFileSync(join(directory, 'outline.png'), drawOutlineIcon());
  process.stdout.write(`Wrote color.png and outline.png to ${directory}\n`);
}
