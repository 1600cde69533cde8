// SPDX-License-Identifier: MIT
/* empty.c - keeps the test support library non-empty while it grows. */
int dmae_testcommon_present;
