// Times the reference engine on the corpus: warm-up, then at least <ms> of timed expansions.
// usage: node bench-reference.js <node_modules dir> <corpus dir> <ms>
const path = require('path');
const fs = require('fs');
const [nm, dir, ms] = process.argv.slice(2);
const ACData = require(path.join(nm, 'adaptivecards-templating'));
const cases = fs.readdirSync(dir).filter(f => f.endsWith('.template.json')).map(f => {
  const n = f.slice(0, -'.template.json'.length);
  return {
    template: new ACData.Template(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))),
    data: JSON.parse(fs.readFileSync(path.join(dir, n + '.data.json'), 'utf8')),
  };
});
const pass = () => { for (const c of cases) c.template.expand({ $root: c.data }); };
for (let i = 0; i < 50; i++) pass();
let expansions = 0;
const start = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < Number(ms) * 1e6) { pass(); expansions += cases.length; elapsed = Number(process.hrtime.bigint() - start); }
console.log(JSON.stringify({ expansions, seconds: elapsed / 1e9 }));
