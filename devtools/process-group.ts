/** Whether any process of the group is left: signal 0 reaches none once all of them have exited. */
export const processGroupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};
