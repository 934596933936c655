#!/usr/bin/python3
"""Independent reader of TensorBoard event files, for the tests of bcl-ssl's TensorBoard sink.

Parses the TFRecord framing (uint64 length, masked CRC32C of the length, data, masked CRC32C of
the data), verifies both checksums with a bitwise CRC32C written here (not the table-driven one
under test), decodes each record as a tensorflow `Event` with Debian's python3-protobuf from a
descriptor built here (TensorBoard's own .proto files are not installed), and prints one JSON
object per event: {"wall_time", "step", "file_version"?, "scalars": {tag: simple_value}} (a
non-finite value as the string "nan", "inf" or "-inf", which JSON cannot hold).

Usage: read-tfevents.py EVENT_FILE      Exit 0 on success; 1 with a message on any framing,
checksum or decoding problem. `--check-crc` runs the CRC32C self-test (RFC 3720 vectors) only.
"""
import json
import math
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool

try:  # protobuf >= 4.22
    from google.protobuf.message_factory import GetMessageClass
except ImportError:  # Debian bookworm's 3.21 / 4.21
    from google.protobuf import message_factory

    def GetMessageClass(descriptor):
        return message_factory.MessageFactory().GetPrototype(descriptor)


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def masked(crc: int) -> int:
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def self_test() -> None:
    # RFC 3720 B.4 and the usual check value.
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert crc32c(b"\xff" * 32) == 0x62A8AB43
    assert crc32c(bytes(range(32))) == 0x46DD794E


def event_class():
    """tensorflow.Event with the fields a scalar log uses (event.proto, summary.proto)."""
    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="bcl_test_event.proto", package="tensorflow", syntax="proto3")
    summary = proto.message_type.add(name="Summary")
    value = summary.nested_type.add(name="Value")
    value.field.add(name="tag", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    value.field.add(name="simple_value", number=2, type=F.TYPE_FLOAT, label=F.LABEL_OPTIONAL, oneof_index=0)
    value.oneof_decl.add(name="value")
    summary.field.add(name="value", number=1, type=F.TYPE_MESSAGE, type_name=".tensorflow.Summary.Value", label=F.LABEL_REPEATED)
    event = proto.message_type.add(name="Event")
    event.field.add(name="wall_time", number=1, type=F.TYPE_DOUBLE, label=F.LABEL_OPTIONAL)
    event.field.add(name="step", number=2, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL)
    event.field.add(name="file_version", number=3, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, oneof_index=0)
    event.field.add(name="summary", number=5, type=F.TYPE_MESSAGE, type_name=".tensorflow.Summary", label=F.LABEL_OPTIONAL, oneof_index=0)
    event.oneof_decl.add(name="what")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return GetMessageClass(pool.FindMessageTypeByName("tensorflow.Event"))


def read_records(data: bytes):
    offset = 0
    while offset < len(data):
        if len(data) - offset < 12:
            raise ValueError(f"truncated record header at byte {offset}")
        header = data[offset : offset + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[offset + 8 : offset + 12])
        if masked(crc32c(header)) != length_crc:
            raise ValueError(f"length CRC mismatch at byte {offset}")
        end = offset + 12 + length + 4
        if end > len(data):
            raise ValueError(f"truncated record at byte {offset}: needs {end - offset} bytes, file has {len(data) - offset}")
        payload = data[offset + 12 : offset + 12 + length]
        (data_crc,) = struct.unpack("<I", data[end - 4 : end])
        if masked(crc32c(payload)) != data_crc:
            raise ValueError(f"data CRC mismatch in the record at byte {offset}")
        yield payload
        offset = end


def main(argv) -> int:
    self_test()
    if argv[1:] == ["--check-crc"]:
        print("crc32c ok")
        return 0
    Event = event_class()
    with open(argv[1], "rb") as f:
        data = f.read()
    try:
        for payload in read_records(data):
            event = Event()
            event.ParseFromString(payload)
            # Unknown fields would mean our writer used a field number this schema does not know.
            if hasattr(event, "UnknownFields") and len(event.UnknownFields()) > 0:
                raise ValueError("event has unknown fields")
            scalars = {v.tag: v.simple_value if math.isfinite(v.simple_value) else str(v.simple_value) for v in event.summary.value}
            out = {"wall_time": event.wall_time, "step": event.step, "scalars": scalars}
            if event.WhichOneof("what") == "file_version":
                out["file_version"] = event.file_version
            print(json.dumps(out))
    except ValueError as error:
        print(f"{argv[1]}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
