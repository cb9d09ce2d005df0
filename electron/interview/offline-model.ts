/** The model name the offline interviewer reports, known without loading the interviewer itself. */
export const OFFLINE_MODEL = 'guided-interviewer';
