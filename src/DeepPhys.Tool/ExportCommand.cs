using System.CommandLine;
using System.Numerics;
using DeepPhys.Onnx;

namespace DeepPhys.Tool;

/// <summary><c>deepphys export run/ --onnx model.onnx</c>: the trained network as ONNX (opset 17, docs/interop.md).</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var run = new Argument<string>("run") { Description = "The run folder 'deepphys train --out' wrote, or a checkpoint file (with --network)." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write.", Required = true };
        var network = new Option<string?>("--network") { Description = "The checkpoint's .dph file (for a checkpoint file)." };
        var command = new Command("export", "Write the trained network as an ONNX model (its inputs scaled as in training).") { run, onnx, network };
        command.SetAction(parse =>
        {
            string path = parse.GetRequiredValue(onnx);
            var model = TrainedModel.Open(parse.GetRequiredValue(run), parse.GetValue(network));
            string? folderOfFile = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folderOfFile is not null && !Directory.Exists(folderOfFile)) throw new ToolException($"--onnx {path}: no folder {folderOfFile}.");
            bool scaled = model.Precision == Precision.Double ? Export<double>(model, path) : Export<float>(model, path);
            output.WriteLine(scaled
                ? $"wrote {path}: ONNX opset {OnnxModel.Opset}; it takes the inputs scaled as in training (the scaler saved in the checkpoint)"
                : $"wrote {path}: ONNX opset {OnnxModel.Opset}; it takes the inputs as they are (no scaler in the checkpoint)");
            return 0;
        });
        return command;
    }

    /// <summary>Exports the model; true when its checkpoint holds a scaler, which the ONNX model's inputs need first.</summary>
    private static bool Export<T>(TrainedModel model, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (network, scaler) = model.Load<T>();
        OnnxModel.Export(network, path);
        return scaler is not null;
    }
}
