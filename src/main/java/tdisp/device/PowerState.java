package tdisp.device;

/** PCI PM device power state; D3cold is a conventional reset and is not modelled separately. */
public enum PowerState { D0, D3HOT }
