package kr.everbit.deploy.engine.health;

/**
 * One probe a verify asks for, as checked input. Each kind of probe defines its spec beside itself (e.g.
 * {@link TcpProbe.Spec}); a door's parser turns its options into a list of these.
 */
public interface ProbeSpec {
    /** Whether the probe runs on the VM, so that verify needs the SSH connection. */
    boolean onVm();

    /** The probe, with what it runs with. */
    Probe probe(ProbeContext context);
}
