namespace BatchDb.Engine.Partitioning;

/// <summary>Where a monthly partition stands: as listed, planned by -WhatIf, or what was just done to it.</summary>
public enum MonthlyPartitionState
{
    Attached,
    Planned,
    Created,
    Dropped,
    Detached,
}
