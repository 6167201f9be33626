using Mono.Cecil;
using Mono.Cecil.Cil;
using ReleaseTeamsApp.Hosting;
using ReleaseTeamsApp.Releases;

namespace ReleaseTeamsApp.Tests.Architecture;

/// <summary>
/// Every operation decides through <see cref="ReleaseChange"/>: what it writes comes from the change's factories, so no
/// operation assembles a <see cref="ReleaseWrite"/> of its own. Read from the compiled app (constructor calls and
/// <c>with</c> copies of a write).
/// </summary>
public sealed class ReleaseChangeTests
{
    private static readonly string[] AllowedBuilders = [typeof(ReleaseChange).FullName!, typeof(ReleaseWrite).FullName!];

    [Fact]
    public void ReleaseWrite_BuiltOnlyByReleaseChange()
    {
        var builders = WriteBuilders(AllowedBuilders);

        Assert.True(builders.Count == 0, $"These build a ReleaseWrite themselves; return a ReleaseChange from its factories instead: {string.Join(", ", builders)}.");
    }

    [Fact]
    public void ReleaseWrite_BuiltOnlyByReleaseChange_WouldSeeTheFactories()
    {
        // The scan finds the one legitimate builder when it is not allowed, so an empty answer above means something.
        var builders = WriteBuilders([typeof(ReleaseWrite).FullName!]);

        Assert.Contains(typeof(ReleaseChange).FullName!, builders);
    }

    private static List<string> WriteBuilders(IReadOnlyCollection<string> allowed)
    {
        using var module = ModuleDefinition.ReadModule(typeof(ReleaseTeamsAppServices).Assembly.Location);
        var write = typeof(ReleaseWrite).FullName;
        return module.GetTypes()
            .SelectMany(t => t.Methods)
            .Where(m => m.HasBody && m.Body.Instructions.Any(i => Builds(i, write!)))
            .Select(m => Outermost(m.DeclaringType).FullName)
            .Where(t => !allowed.Contains(t))
            .Distinct()
            .OrderBy(t => t, StringComparer.Ordinal)
            .ToList();
    }

    private static bool Builds(Instruction instruction, string write) =>
        instruction.Operand is MethodReference called
        && called.DeclaringType.FullName == write
        && ((instruction.OpCode == OpCodes.Newobj && called.Name == ".ctor") || called.Name == "<Clone>$");

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }
}
