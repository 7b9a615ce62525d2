using System.Management.Automation;
using BatchDb.Engine.Connections;

namespace BatchDb.Internal;

/// <summary>Lets -Connection take either a connection object or the name given to Connect-BatchDb -Name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ConnectionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null or BatchDbConnection => value,
            string name => ConnectionRegistry.Current.Find(name)
                ?? throw new ArgumentTransformationMetadataException(
                    $"No connection named '{name}' in this session. Get-BatchDbConnection lists the open ones; Connect-BatchDb -Name '{name}' opens it."),
            _ => throw new ArgumentTransformationMetadataException(
                $"-Connection takes a connection from Connect-BatchDb or its name, not a {value.GetType().Name}."),
        };
    }
}
