#!/usr/bin/env bash
# Compiles and lints the Bicep in infra/ with the Bicep CLI from the NuGet feed
# (Azure.Bicep.CommandLine.linux-x64, version pinned in Directory.Packages.props).
# Fails on any error or warning. Works offline once the package is in the NuGet cache.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools=infra/tools/bicep.csproj
dotnet restore "$tools" --verbosity quiet >/dev/null
package_root=$(dotnet msbuild "$tools" -getProperty:NuGetPackageRoot)
version=$(sed -n 's/.*Include="Azure.Bicep.CommandLine.linux-x64" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
bicep="${package_root%/}/azure.bicep.commandline.linux-x64/${version}/tools/bicep"
[ -x "$bicep" ] || chmod +x "$bicep"
echo "bicep: $("$bicep" --version)"

status=0
# Runs a bicep command, shows its diagnostics (stderr) and fails on any error or warning.
run() {
  local output
  output=$("$@" 2>&1 >/dev/null) || status=1
  if [ -n "$output" ]; then
    printf '%s\n' "$output"
    # Bicep prints diagnostics as "path(line,col) : Warning rule: message"; any of them fails the check.
    if grep -qE ': (Warning|Error) ' <<<"$output"; then status=1; fi
  fi
}

for file in infra/main.bicep; do
  run "$bicep" build "$file" --stdout
  run "$bicep" lint "$file"
done

# main.parameters.json must name only parameters main.bicep declares.
for name in $(sed -n 's/^    "\([A-Za-z]*\)": {$/\1/p' infra/main.parameters.json); do
  grep -qE "^param $name " infra/main.bicep || { echo "infra/main.parameters.json: unknown parameter '$name'"; status=1; }
done

if [ "$status" -eq 0 ]; then echo "infra/check.sh: clean"; else echo "infra/check.sh: FAILED"; fi
exit "$status"
