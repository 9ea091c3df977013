namespace AcceptD.Core.Policy;

/// <summary>Whether AcceptD found the device at start-up or saw it arrive later.</summary>
public enum DeviceOrigin { Coldplug, Hotplug }
