package io.sfufleet.console.alerts;

public enum AlertSeverity { WARNING, CRITICAL }
