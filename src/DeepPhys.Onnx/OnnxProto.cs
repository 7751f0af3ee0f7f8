using Google.Protobuf;

namespace DeepPhys.Onnx;

/// <summary>
/// The field numbers of the subset of <c>onnx.proto3</c> (github.com/onnx/onnx, onnx/onnx.proto3) that
/// export and import use; no generated code, since protoc is not part of the build.
/// </summary>
internal static class OnnxField
{
    // message ModelProto { int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
    //   GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
    public const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpsetImport = 8;

    // message OperatorSetIdProto { string domain = 1; int64 version = 2; }
    public const int OpsetDomain = 1, OpsetVersion = 2;

    // message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
    //   repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
    public const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;

    // message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
    //   repeated AttributeProto attribute = 5; string domain = 7; }
    public const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5, NodeDomain = 7;

    // message AttributeProto { string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5; repeated float floats = 7;
    //   repeated int64 ints = 8; repeated bytes strings = 9; AttributeType type = 20; }
    //   FLOAT = 1, INT = 2, STRING = 3, FLOATS = 6, INTS = 7, STRINGS = 8
    public const int AttributeName = 1, AttributeFloat = 2, AttributeInt = 3, AttributeString = 4, AttributeTensor = 5, AttributeFloats = 7, AttributeInts = 8, AttributeStrings = 9, AttributeType = 20;
    public const int AttributeTypeFloat = 1, AttributeTypeInt = 2, AttributeTypeString = 3, AttributeTypeFloats = 6, AttributeTypeInts = 7, AttributeTypeStrings = 8;

    // message TensorProto { repeated int64 dims = 1; int32 data_type = 2; repeated float float_data = 4 [packed]; repeated int64 int64_data = 7 [packed];
    //   string name = 8; bytes raw_data = 9; repeated double double_data = 10 [packed]; int32 data_location = 14; }
    public const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorInt64Data = 7, TensorName = 8, TensorRawData = 9, TensorDoubleData = 10, TensorDataLocation = 14;

    // enum TensorProto.DataType { FLOAT = 1; INT64 = 7; DOUBLE = 11; }
    public const int DataTypeFloat = 1, DataTypeInt64 = 7, DataTypeDouble = 11;

    // message ValueInfoProto { string name = 1; TypeProto type = 2; }
    public const int ValueInfoName = 1, ValueInfoType = 2;

    // message TypeProto { Tensor tensor_type = 1; }  message TypeProto.Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
    public const int TypeTensor = 1, TensorTypeElemType = 1, TensorTypeShape = 2;

    // message TensorShapeProto { repeated Dimension dim = 1; }  message Dimension { int64 dim_value = 1; string dim_param = 2; }
    public const int ShapeDim = 1, DimValue = 1, DimParam = 2;
}

/// <summary>Builds one protobuf message field by field; nested messages are written length-delimited.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream buffer = new();
    private readonly CodedOutputStream output;

    public ProtoWriter() => output = new CodedOutputStream(buffer, leaveOpen: true);

    public ProtoWriter String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public ProtoWriter Int64(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
        return this;
    }

    public ProtoWriter Bytes(int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray()
    {
        output.Flush();
        return buffer.ToArray();
    }
}

/// <summary>
/// One protobuf message read into its fields without a schema: varints and fixed values as raw bits,
/// length-delimited fields as bytes (a string, a nested message or a packed array, as the caller knows).
/// </summary>
internal sealed class ProtoMessage
{
    private readonly List<(int Field, WireFormat.WireType Type, ulong Value, ByteString? Bytes)> fields = [];

    /// <summary>Parses <paramref name="bytes"/>.</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a protobuf message.</exception>
    public ProtoMessage(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            switch (type)
            {
                case WireFormat.WireType.Varint: fields.Add((field, type, input.ReadUInt64(), null)); break;
                case WireFormat.WireType.Fixed32: fields.Add((field, type, input.ReadFixed32(), null)); break;
                case WireFormat.WireType.Fixed64: fields.Add((field, type, input.ReadFixed64(), null)); break;
                case WireFormat.WireType.LengthDelimited: fields.Add((field, type, 0, input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }
    }

    public IEnumerable<ProtoMessage> Messages(int field) => Delimited(field).Select(b => new ProtoMessage(b));

    public ProtoMessage? Message(int field) => Delimited(field).Select(b => new ProtoMessage(b)).LastOrDefault();

    public IEnumerable<string> Strings(int field) => Delimited(field).Select(b => b.ToStringUtf8());

    public string String(int field) => Strings(field).LastOrDefault() ?? "";

    public long Int64(int field) => fields.Where(f => f.Field == field && f.Type == WireFormat.WireType.Varint).Select(f => (long)f.Value).LastOrDefault();

    public bool Has(int field) => fields.Any(f => f.Field == field);

    public float Float(int field) => fields.Where(f => f.Field == field && f.Type == WireFormat.WireType.Fixed32).Select(f => BitConverter.Int32BitsToSingle((int)f.Value)).LastOrDefault();

    public ByteString? Bytes(int field) => Delimited(field).LastOrDefault();

    /// <summary>A repeated int64 field, packed or not.</summary>
    public IEnumerable<long> Int64s(int field)
    {
        foreach (var f in fields.Where(f => f.Field == field))
        {
            if (f.Type == WireFormat.WireType.Varint)
            {
                yield return (long)f.Value;
                continue;
            }

            var packed = new CodedInputStream(f.Bytes!.ToByteArray());
            while (!packed.IsAtEnd) yield return packed.ReadInt64();
        }
    }

    private IEnumerable<ByteString> Delimited(int field) =>
        fields.Where(f => f.Field == field && f.Type == WireFormat.WireType.LengthDelimited).Select(f => f.Bytes!);
}
