# Shell functions shared by the by-hand checks (.ci/pack-check, .ci/lsp-check, .ci/slurm-check): source it, do not run it.

# pack_deepphys FEED: packs DeepPhys into the folder FEED, checks where its dlls are and that the diagnostic pages are in it, and sets
# `package` (the .nupkg) and `version`.
pack_deepphys() {
    local feed="$1" contents
    dotnet pack "$root/src/DeepPhys" -c Release -o "$feed" --nologo -v quiet
    package="$(ls "$feed"/DeepPhys.[0-9]*.nupkg | grep -v snupkg)"
    version="$(basename "$package" .nupkg)"; version="${version#DeepPhys.}"
    contents="$(unzip -l "$package")"
    grep -q "lib/net10.0/DeepPhys.dll" <<<"$contents"
    grep -q "analyzers/dotnet/cs/DeepPhys.Generators.dll" <<<"$contents"
    grep -q "analyzers/dotnet/cs/DeepPhys.CodeFixes.dll" <<<"$contents"
    if grep -q "lib/.*Generators\|lib/.*CodeFixes" <<<"$contents"; then echo "the generator ended up in lib/" >&2; return 1; fi
    # Every diagnostic's page (the tests make them one per descriptor) and the index, for reading offline.
    local page
    for page in "$root"/docs/diagnostics.md "$root"/docs/diagnostics/*.md; do
        grep -q " docs/${page#"$root"/docs/}\$" <<<"$contents" || { echo "${page#"$root"/} is not in the package" >&2; return 1; }
    done
}

# write_user_project DIR FEED PACKAGES PROPERTIES [REFERENCES]: a project DIR/App.csproj referencing the DeepPhys
# package `version` from FEED (restored into PACKAGES) and the package REFERENCES given, with the MSBuild
# PROPERTIES given, and a nuget.config that lists FEED: what a user has.
write_user_project() {
    local dir="$1" feed="$2" packages="$3" properties="$4" references="${5:-}"
    mkdir -p "$dir"
    cat > "$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <!-- The local feed first; the machine's configured sources still serve the dependencies. -->
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
XML
    cat > "$dir/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RestorePackagesPath>$packages</RestorePackagesPath>
    $properties
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="DeepPhys" Version="$version" />
    $references
  </ItemGroup>
</Project>
XML
}

# install_tool FEED WORK: packs the deepphys tool into FEED (beside DeepPhys `version`, which pack_deepphys set) and installs
# it from there as a user does, into WORK/tools through a package cache of its own (WORK/packages, so an older pack of the
# same version cannot stand in); sets `deepphys` to the installed command.
install_tool() {
    local feed="$1" work="$2"
    dotnet pack "$root/src/DeepPhys.Tool" -c Release -o "$feed" --nologo -v quiet
    NUGET_PACKAGES="$work/packages" dotnet tool install DeepPhys.Tool --version "$version" --tool-path "$work/tools" --add-source "$feed"
    deepphys="$work/tools/deepphys"
}
