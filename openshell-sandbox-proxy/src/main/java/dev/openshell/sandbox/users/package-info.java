/**
 * Who the agent is on the host: a uid and gid of its own per sandbox.
 *
 * <p>{@link dev.openshell.sandbox.users.UidAllocator} hands out ids from a block no account uses
 * ({@value dev.openshell.sandbox.users.UidAllocator#FIRST} and the {@value
 * dev.openshell.sandbox.users.UidAllocator#COUNT} after it), one lock file per id under {@code
 * /run/openshell/uids} (the pattern of the subnet claims), released at teardown and reclaimed from
 * dead supervisors by {@code StaleSandboxes}. The id needs no passwd entry: the launcher takes
 * numeric {@code --user}/{@code --group}. {@link dev.openshell.sandbox.users.AgentIdentity} turns
 * the policy's {@code process} section into numeric ids: {@code sandbox} (the default) means the
 * sandbox's own claimed id, any other name or number is the account the operator chose.
 */
package dev.openshell.sandbox.users;
