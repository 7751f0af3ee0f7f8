using System.CommandLine;
using System.Numerics;
using DeepPhys.Onnx;

namespace DeepPhys.Tool;

/// <summary><c>deepphys export run/ --onnx model.onnx</c>: the trained network as ONNX (opset 17, docs/interop.md).</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var run = new Argument<string>("run") { Description = "The run folder 'deepphys train --out' wrote." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write.", Required = true };
        var command = new Command("export", "Write the trained network as an ONNX model (its inputs scaled as in training).") { run, onnx };
        command.SetAction(parse =>
        {
            string folder = parse.GetRequiredValue(run), path = parse.GetRequiredValue(onnx);
            var settings = RunFolder.Load(folder);
            string? folderOfFile = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folderOfFile is not null && !Directory.Exists(folderOfFile)) throw new ToolException($"--onnx {path}: no folder {folderOfFile}.");
            if (settings.Precision == Precision.Double) Export<double>(folder, settings, path);
            else Export<float>(folder, settings, path);
            output.WriteLine($"wrote {path}: ONNX opset {OnnxModel.Opset}; it takes the inputs scaled as in training (--scale {settings.Scale}, saved in the checkpoint)");
            return 0;
        });
        return command;
    }

    private static void Export<T>(string folder, RunSettings settings, string path) where T : unmanaged, IFloatingPointIeee754<T> =>
        OnnxModel.Export(RunFolder.LoadNetwork<T>(folder, settings).Network, path);
}
