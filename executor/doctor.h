/* doctor.h: `sandpool doctor`, which explains what this host offers. */
#ifndef SP_DOCTOR_H
#define SP_DOCTOR_H

/* Prints the report on stdout; returns 0 if cgroup containment works here. */
int sp_doctor_cmd(int argc, char **argv);

#endif
