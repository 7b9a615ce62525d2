using System.Globalization;

namespace BatchDb.Engine.Cdc;

/// <summary>PostgreSQL's WAL positions as they are written (0/16B3748): high and low 32 bits in hexadecimal.</summary>
internal static class LogSequenceNumber
{
    public static string Format(ulong lsn) => string.Create(CultureInfo.InvariantCulture, $"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}");

    public static string? Format(ulong? lsn) => lsn is { } value ? Format(value) : null;
}
