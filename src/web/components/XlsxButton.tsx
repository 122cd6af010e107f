import { DownloadOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { saveXlsx } from '../xlsx';
import type { Cell } from '../xlsx';
import { FileButton } from './DocButton';

/** A button that writes a small table to .xlsx in the browser and saves it: the rows as they are, or fetched when clicked (every page of a short list). */
export function XlsxButton({
  fileName,
  rows,
  icon = <DownloadOutlined />,
  ...button
}: {
  /** the file's name (and the sheet's), without .xlsx */
  fileName: string;
  /** a header row, then one row per record */
  rows: Cell[][] | (() => Promise<Cell[][]>);
} & Omit<ButtonProps, 'onClick' | 'loading'>) {
  return <FileButton {...button} icon={icon} save={async () => saveXlsx(fileName, fileName, typeof rows === 'function' ? await rows() : rows)} />;
}
