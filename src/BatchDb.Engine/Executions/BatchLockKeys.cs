using System.Security.Cryptography;
using System.Text;

namespace BatchDb.Engine.Executions;

/// <summary>The hash that batch lock keys are made from, so every host derives the same key for a batch.</summary>
internal static class BatchLockKeys
{
    public static byte[] Hash(string ledgerSchema, string batchName) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"batchdb\n{ledgerSchema}\n{batchName}"));
}
