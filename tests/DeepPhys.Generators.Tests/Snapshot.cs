using System.Runtime.CompilerServices;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Approved-file snapshots with Verify's conventions: <c>Snapshots/Class.Test.verified.cs.txt</c>
/// holds the approved text; a mismatch writes <c>.received.cs.txt</c> beside it (git-ignored) and
/// fails. <c>DEEPPHYS_ACCEPT_SNAPSHOTS=1</c> accepts what the tests produce.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string actual, [CallerFilePath] string testFile = "", [CallerMemberName] string testName = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string stem = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(testFile)}.{testName}");
        string verified = stem + ".verified.cs.txt", received = stem + ".received.cs.txt";
        actual = actual.ReplaceLineEndings("\n");

        if (Environment.GetEnvironmentVariable("DEEPPHYS_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        string? expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No approved snapshot {verified}. Check {received}, then accept it with DEEPPHYS_ACCEPT_SNAPSHOTS=1."
            : $"Snapshot mismatch at line {FirstDifference(expected, actual)}. Compare: diff {verified} {received}; accept with DEEPPHYS_ACCEPT_SNAPSHOTS=1.");
    }

    private static int FirstDifference(string expected, string actual)
    {
        string[] left = expected.Split('\n'), right = actual.Split('\n');
        int line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line]) line++;
        return line + 1;
    }
}
