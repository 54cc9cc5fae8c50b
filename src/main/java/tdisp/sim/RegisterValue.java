package tdisp.sim;

/**
 * What a {@link Register} holds: a value the layer that declares the register owns (the
 * kernel's guest request, a config write's origin). A thread's value slots hold these, its
 * exact snapshot keeps them by reference, and its canonical form writes what they mean
 * (see {@link KThread#saveCanonical}).
 */
public interface RegisterValue extends Retained {}
