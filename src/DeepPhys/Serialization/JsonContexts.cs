using System.Text.Json;
using System.Text.Json.Serialization;
using DeepPhys.Data;
using DeepPhys.Training;

namespace DeepPhys.Serialization;

// System.Text.Json's source generator writes these files' (de)serialisers at build time, so saving and loading need
// no reflection and work under Native AOT and trimming. One context per option set; each set is the one the reflection
// serialiser used before, so the bytes written are the same (tests/DeepPhys.Tests/Serialization/JsonFormatTests.cs).

/// <summary>Checkpoint files and safetensors' <c>optimizer.scalars</c>: default options (compact, property names as declared).</summary>
[JsonSerializable(typeof(Checkpoint.File))]
[JsonSerializable(typeof(IReadOnlyList<double>))]
[JsonSerializable(typeof(double[]))]
internal sealed partial class CompactJson : JsonSerializerContext;

/// <summary>Scalers and preprocessors: web defaults (camelCase), indented, enums by name.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ScalerState))]
[JsonSerializable(typeof(PreprocessorState))]
internal sealed partial class PreprocessingJson : JsonSerializerContext;

/// <summary>
/// <see cref="History.SaveJson"/>'s document: indented, a diverged run's NaN and infinite figures as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c> (JSON has no such numbers, null already means a missing figure, and Python's
/// <c>float()</c> reads the strings back). The value types are the ones the document's <c>object</c> values hold.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, object?>[]))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class HistoryJson : JsonSerializerContext;
