// Expands every NAME.template.json with NAME.data.json using the reference JS engine and writes
// NAME.expected.json, or NAME.error.txt when the reference throws.
// usage: node expand-reference.js <node_modules dir> <case dir>
const path = require('path');
const fs = require('fs');
const [nm, dir] = process.argv.slice(2);
const ACData = require(path.join(nm, 'adaptivecards-templating'));
for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.template.json'))) {
  const n = f.slice(0, -'.template.json'.length);
  try {
    const tpl = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const data = JSON.parse(fs.readFileSync(path.join(dir, n + '.data.json'), 'utf8'));
    const out = new ACData.Template(tpl).expand({ $root: data });
    fs.writeFileSync(path.join(dir, n + '.expected.json'), JSON.stringify(out === undefined ? null : out));
  } catch (e) {
    fs.writeFileSync(path.join(dir, n + '.error.txt'), String(e && e.message));
  }
}
