// Writes manifest.json's contributes.settings from the one settings schema (src/common/settings/plugin-settings.ts).
// `npm run manifest:settings`; test/node/settings-schema.test.ts fails while the manifest is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { jsonSchemaOf, PluginSettingsSchema } from '../src/common/settings/plugin-settings.js';

const file = new URL('../manifest.json', import.meta.url);
const manifest = JSON.parse(await readFile(file, 'utf8')) as { contributes: { settings?: object } };
manifest.contributes.settings = jsonSchemaOf(PluginSettingsSchema);
await writeFile(file, JSON.stringify(manifest, null, 2) + '\n');
console.log('manifest.json: contributes.settings written from PluginSettingsSchema');
