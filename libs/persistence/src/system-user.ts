/** The applicant of processes the system opens itself (an inactive account: it never signs in, acts or gets mail). */
export const SYSTEM_USER_ID = '00000000-0000-4000-8000-000000000001';
