/**
 * Strategies: the human-written descriptors in {@code strategies/*.desc} that choose, knob
 * by knob, where the host kernel routes TDISP bind/unbind and guest requests (KVM, iommufd
 * vDEVICE or VFIO) and how VFIO, iommufd and the VMM behave around a bound TDI. See
 * {@code strategies/README.md} for the format and the knobs, and
 * the domain notes ({@code shared/domain/routing.md} beside the repository) for the five upstream alternatives.
 *
 * <p>Depends on {@code java.*} only. The model reads {@link tdisp.strategy.Knobs}'s typed
 * components; reporters use {@link tdisp.strategy.Knobs#describe()}.
 */
package tdisp.strategy;
